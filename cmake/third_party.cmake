# Third-party headers, all from Debian packages (see scripts/setup.sh).
#
# Under emcmake, CMake only searches the emscripten sysroot, and nlohmann_json's
# config would add -isystem /usr/include (glibc headers) to the wasm build. So for
# header-only libraries we expose just their own folders through symlinks in the
# build tree. Eigen's config is safe to use directly.
find_package(Eigen3 3.4 REQUIRED CONFIG PATHS /usr/share/eigen3/cmake NO_CMAKE_FIND_ROOT_PATH)

set(SPEXLENS_THIRD_PARTY_INCLUDE ${CMAKE_BINARY_DIR}/third_party_include)
file(MAKE_DIRECTORY ${SPEXLENS_THIRD_PARTY_INCLUDE})

function(spexlens_expose_headers name source_dir)
  if(NOT EXISTS ${source_dir})
    message(FATAL_ERROR "${source_dir} is missing: run scripts/setup.sh to install the packages spexlens builds with")
  endif()
  file(CREATE_LINK ${source_dir} ${SPEXLENS_THIRD_PARTY_INCLUDE}/${name} SYMBOLIC)
endfunction()

spexlens_expose_headers(nlohmann /usr/include/nlohmann)
spexlens_expose_headers(catch2 /usr/include/catch2)

add_library(spexlens_json INTERFACE)
target_include_directories(spexlens_json SYSTEM INTERFACE ${SPEXLENS_THIRD_PARTY_INCLUDE})
spexlens_headers(spexlens_json INTERFACE json)  # src/json/json_text.h

add_library(spexlens_catch2 INTERFACE)
target_include_directories(spexlens_catch2 SYSTEM INTERFACE ${SPEXLENS_THIRD_PARTY_INCLUDE})
