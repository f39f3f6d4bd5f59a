# Copies the page and everything it loads into SITE_DIR (run by web/CMakeLists.txt).
# Inputs: SOURCE_DIR, SITE_DIR, CORE_JS and APP_JS (the two emscripten modules, .mjs next to .wasm).
set(ort_dist ${SOURCE_DIR}/node_modules/onnxruntime-web/dist)
set(font /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf)
set(cjk_font /usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf)
set(hangul_font /usr/share/fonts/truetype/nanum/NanumGothic.ttf)
set(shipped_models spam-transformer clinical-readmission spam-bert planted-and planted-components afinn-lexicon)

foreach(required ${ort_dist}/ort.wasm.min.mjs ${font} ${cjk_font} ${hangul_font} ${SOURCE_DIR}/third_party/imgui/LICENSE.txt)
  if(NOT EXISTS ${required})
    message(FATAL_ERROR "${required} is missing: run scripts/setup.sh (it installs onnxruntime-web, fonts-dejavu-core, fonts-droid-fallback, fonts-nanum, python3-fonttools and Dear ImGui's sources)")
  endif()
endforeach()

file(REMOVE_RECURSE ${SITE_DIR})
file(MAKE_DIRECTORY ${SITE_DIR}/wasm ${SITE_DIR}/ort ${SITE_DIR}/fonts ${SITE_DIR}/models ${SITE_DIR}/licenses)

file(COPY ${SOURCE_DIR}/web/index.html ${SOURCE_DIR}/web/bench.html ${SOURCE_DIR}/web/catalog.json
          ${SOURCE_DIR}/web/js ${SOURCE_DIR}/web/css DESTINATION ${SITE_DIR})

foreach(module ${CORE_JS} ${APP_JS})
  string(REGEX REPLACE "\\.mjs$" ".wasm" wasm ${module})
  file(COPY ${module} ${wasm} DESTINATION ${SITE_DIR}/wasm)
endforeach()

# ONNX Runtime Web: the wasm-only ES module and its SIMD (+threads) binary. Never a CDN.
file(COPY ${ort_dist}/ort.wasm.min.mjs ${ort_dist}/ort-wasm-simd-threaded.mjs ${ort_dist}/ort-wasm-simd-threaded.wasm
     DESTINATION ${SITE_DIR}/ort)

foreach(model ${shipped_models})
  file(COPY ${SOURCE_DIR}/models/${model} DESTINATION ${SITE_DIR}/models
       PATTERN reference.json EXCLUDE)
endforeach()

file(COPY ${font} DESTINATION ${SITE_DIR}/fonts)
# The CJK fallbacks, loaded by the page only when a text needs them (src/app/ui/font_coverage.h),
# cut to the ranges font_coverage.cpp lists, without hinting: Droid Sans Fallback for the
# ideographs, kana and punctuation (2.8 MB of 4 MB); it has no Hangul syllables, so Nanum Gothic
# for Hangul (1.3 MB of 4.7 MB).
# Nanum's licence (OFL 1.1) reserves its names for the unmodified font, so the cut one is renamed.
foreach(pair "${cjk_font}|cjk-fallback.ttf|U+3000-30FF,U+3130-318F,U+31F0-31FF,U+3200-32FF,U+4E00-9FFF,U+F900-FAFF,U+FF00-FFEF|-"
             "${hangul_font}|hangul-fallback.ttf|U+3130-318F,U+AC00-D7AF|spexlens Hangul Fallback")
  string(REPLACE "|" ";" parts "${pair}")
  list(GET parts 0 source_font)
  list(GET parts 1 subset_name)
  list(GET parts 2 subset_ranges)
  list(GET parts 3 subset_family)
  set(rename "")
  if(NOT subset_family STREQUAL "-")  # "-": keeps its name
    set(rename --rename "${subset_family}")
  endif()
  execute_process(
    COMMAND /usr/bin/python3 ${SOURCE_DIR}/scripts/fonts/subset_font.py ${source_font} ${SITE_DIR}/fonts/${subset_name}
      --unicodes ${subset_ranges} ${rename}
    RESULT_VARIABLE subset_result OUTPUT_QUIET ERROR_VARIABLE subset_error)
  if(NOT subset_result EQUAL 0)
    message(FATAL_ERROR "subsetting ${source_font} failed (python3-fonttools, installed by scripts/setup.sh): ${subset_error}")
  endif()
endforeach()

# The local server, so a copied folder can be served on its own: python3 serve.py
file(COPY_FILE ${SOURCE_DIR}/scripts/serve_site.py ${SITE_DIR}/serve.py)

# Notices for what the folder redistributes.
file(COPY_FILE ${SOURCE_DIR}/third_party/imgui/LICENSE.txt ${SITE_DIR}/licenses/dear-imgui.txt)
file(COPY_FILE /usr/share/doc/fonts-dejavu-core/copyright ${SITE_DIR}/licenses/dejavu-fonts.txt)
file(READ /usr/share/doc/fonts-droid-fallback/copyright droid_copyright)
file(READ /usr/share/common-licenses/Apache-2.0 apache_license)
file(WRITE ${SITE_DIR}/licenses/droid-sans-fallback.txt "${droid_copyright}\n\n${apache_license}")
file(COPY_FILE /usr/share/doc/fonts-nanum/copyright ${SITE_DIR}/licenses/nanum-fonts.txt)
file(COPY_FILE ${SOURCE_DIR}/third_party/utf8proc/LICENSE.md ${SITE_DIR}/licenses/utf8proc.txt)
file(COPY_FILE ${SOURCE_DIR}/third_party/oniguruma/COPYING ${SITE_DIR}/licenses/oniguruma.txt)
file(COPY_FILE ${SOURCE_DIR}/third_party/zlib/LICENSE ${SITE_DIR}/licenses/zlib.txt)
file(READ ${SOURCE_DIR}/node_modules/onnxruntime-web/package.json ort_package)
string(JSON ort_version GET "${ort_package}" version)
string(JSON ort_license GET "${ort_package}" license)
# ONNX Runtime Web's licence text. The npm package (1.30.0) ships none: its package.json says
# "MIT" and its files' headers "Copyright (c) Microsoft Corporation. Licensed under the MIT
# License.", and its README points to the repository's LICENSE, which is written out below
# verbatim (github.com/microsoft/onnxruntime, LICENSE). A package that ships one is copied.
set(ort_license_file "")
foreach(candidate LICENSE LICENSE.txt LICENSE.md)
  if(NOT ort_license_file AND EXISTS ${SOURCE_DIR}/node_modules/onnxruntime-web/${candidate})
    set(ort_license_file ${SOURCE_DIR}/node_modules/onnxruntime-web/${candidate})
  endif()
endforeach()
if(ort_license_file)
  file(COPY_FILE ${ort_license_file} ${SITE_DIR}/licenses/onnxruntime-web.txt)
elseif(ort_license STREQUAL "MIT")
  file(WRITE ${SITE_DIR}/licenses/onnxruntime-web.txt
"MIT License

Copyright (c) 2018 - present Microsoft Corporation

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the \"Software\"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED \"AS IS\", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
")
else()
  message(FATAL_ERROR "onnxruntime-web ${ort_version} ships no LICENSE file and its package.json names the "
    "\"${ort_license}\" license, not MIT: put its licence text into the site's licenses/ in cmake/assemble_site.cmake")
endif()
file(WRITE ${SITE_DIR}/licenses/README.txt
"spexlens redistributes (unmodified unless said):
  - ONNX Runtime Web ${ort_version} (ort/), (c) Microsoft Corporation, ${ort_license} license: onnxruntime-web.txt (https://github.com/microsoft/onnxruntime)
  - Dear ImGui 1.86 (compiled into wasm/spexlens_app.wasm), MIT license: dear-imgui.txt
  - utf8proc 2.8.0 (Unicode normalisation and character classes, compiled into wasm/spexlens_core.wasm), MIT license: utf8proc.txt
  - Oniguruma 6.9.8 (regular expressions of tokenizer.json files, compiled into wasm/spexlens_core.wasm), BSD license: oniguruma.txt
  - zlib 1.2.13 (inflating a model folder brought as a .zip, compiled into wasm/spexlens_core.wasm), zlib license: zlib.txt
  - DejaVu Sans (fonts/), Bitstream Vera derivative, free license: dejavu-fonts.txt
  - Droid Sans Fallback (fonts/cjk-fallback.ttf, modified: cut to the CJK ideograph, kana and punctuation ranges), (c) Google, Apache License 2.0: droid-sans-fallback.txt
  - Nanum Gothic (fonts/hangul-fallback.ttf, modified: cut to Hangul and renamed \"spexlens Hangul Fallback\" as its Reserved Font Names require), (c) NAVER Corporation, SIL Open Font License 1.1: nanum-fonts.txt
The shipped models (models/) come with their own cards (README.md in each folder).
")
file(WRITE ${SITE_DIR}/.assembled "")
