# Unicode data and regular expressions for the Hugging Face tokenizers (src/text/hf), built
# from Debian's source packages that scripts/setup.sh fetches into third_party/ (ignored, never
# committed), so the native and WebAssembly builds compile the very same sources:
#   spexlens_utf8proc  utf8proc 2.8.0 (Unicode 15): normalisation forms, categories, case
#   spexlens_onig      Oniguruma 6.9.8: the regex engine the Rust `tokenizers` crate uses, for
#                      Split patterns such as GPT-2's and Llama 3's
enable_language(C)

set(SPEXLENS_UTF8PROC_DIR ${PROJECT_SOURCE_DIR}/third_party/utf8proc)
set(SPEXLENS_ONIG_DIR ${PROJECT_SOURCE_DIR}/third_party/oniguruma)
foreach(required ${SPEXLENS_UTF8PROC_DIR}/utf8proc.c ${SPEXLENS_ONIG_DIR}/src/regexec.c)
  if(NOT EXISTS ${required})
    message(FATAL_ERROR "${required} is missing: run scripts/setup.sh (it fetches the utf8proc and Oniguruma sources)")
  endif()
endforeach()

add_library(spexlens_utf8proc STATIC ${SPEXLENS_UTF8PROC_DIR}/utf8proc.c)
target_include_directories(spexlens_utf8proc SYSTEM PUBLIC ${SPEXLENS_UTF8PROC_DIR})
target_compile_definitions(spexlens_utf8proc PUBLIC UTF8PROC_STATIC)
target_compile_options(spexlens_utf8proc PRIVATE -w -std=c99)

# Oniguruma's config.h from its own template, filled by the same checks its CMakeLists makes
# (sizes differ between x86-64 and wasm32, so they are measured, not written down).
include(CheckIncludeFiles)
include(CheckSymbolExists)
include(CheckTypeSize)
check_include_files(alloca.h HAVE_ALLOCA_H)
check_include_files(stdint.h HAVE_STDINT_H)
check_include_files(sys/times.h HAVE_SYS_TIMES_H)
check_include_files(sys/time.h HAVE_SYS_TIME_H)
check_include_files(sys/types.h HAVE_SYS_TYPES_H)
check_include_files(unistd.h HAVE_UNISTD_H)
check_include_files(inttypes.h HAVE_INTTYPES_H)
check_type_size(int SIZEOF_INT)
check_type_size(long SIZEOF_LONG)
check_type_size("long long" SIZEOF_LONG_LONG)
check_type_size("void*" SIZEOF_VOIDP)
if(HAVE_ALLOCA_H)
  check_symbol_exists(alloca "alloca.h" HAVE_ALLOCA)
else()
  check_symbol_exists(alloca "stdlib.h;malloc.h" HAVE_ALLOCA)
endif()
set(PACKAGE onig)
set(PACKAGE_VERSION 6.9.8)
set(VERSION 6.9.8)
set(USE_CRNL_AS_LINE_TERMINATOR 0)
set(SPEXLENS_ONIG_CONFIG_DIR ${CMAKE_BINARY_DIR}/onig_config)
configure_file(${SPEXLENS_ONIG_DIR}/src/config.h.cmake.in ${SPEXLENS_ONIG_CONFIG_DIR}/config.h)

# The library sources its own CMakeLists lists (no POSIX API, no samples or tests).
set(_onig_sources regerror.c regparse.c regext.c regcomp.c regexec.c reggnu.c regenc.c regsyntax.c
  regtrav.c regversion.c st.c onig_init.c unicode.c ascii.c utf8.c utf16_be.c utf16_le.c utf32_be.c
  utf32_le.c euc_jp.c sjis.c iso8859_1.c iso8859_2.c iso8859_3.c iso8859_4.c iso8859_5.c iso8859_6.c
  iso8859_7.c iso8859_8.c iso8859_9.c iso8859_10.c iso8859_11.c iso8859_13.c iso8859_14.c iso8859_15.c
  iso8859_16.c euc_tw.c euc_kr.c big5.c gb18030.c koi8_r.c cp1251.c euc_jp_prop.c sjis_prop.c
  unicode_unfold_key.c unicode_fold1_key.c unicode_fold2_key.c unicode_fold3_key.c)
list(TRANSFORM _onig_sources PREPEND ${SPEXLENS_ONIG_DIR}/src/)
add_library(spexlens_onig STATIC ${_onig_sources})
target_include_directories(spexlens_onig SYSTEM PUBLIC ${SPEXLENS_ONIG_DIR}/src)
target_include_directories(spexlens_onig PRIVATE ${SPEXLENS_ONIG_CONFIG_DIR})
target_compile_definitions(spexlens_onig PUBLIC ONIG_STATIC)
target_compile_options(spexlens_onig PRIVATE -w)
