# zlib 1.2.13 from Debian's source package (scripts/setup.sh fetches it into third_party/zlib,
# ignored, never committed), so the native and WebAssembly builds inflate with the same code.
# spexlens only inflates (.zip archives of model folders, src/text/zip_archive); deflate is built
# for the tests, which write archives, and the linker leaves it out of everything else.
set(SPEXLENS_ZLIB_DIR ${PROJECT_SOURCE_DIR}/third_party/zlib)
if(NOT EXISTS ${SPEXLENS_ZLIB_DIR}/inflate.c)
  message(FATAL_ERROR "${SPEXLENS_ZLIB_DIR}/inflate.c is missing: run scripts/setup.sh (it fetches the zlib sources)")
endif()
set(_zlib_sources adler32.c crc32.c inffast.c inflate.c inftrees.c zutil.c deflate.c trees.c)
list(TRANSFORM _zlib_sources PREPEND ${SPEXLENS_ZLIB_DIR}/)
add_library(spexlens_zlib STATIC ${_zlib_sources})
target_include_directories(spexlens_zlib SYSTEM PUBLIC ${SPEXLENS_ZLIB_DIR})
target_compile_options(spexlens_zlib PRIVATE -w)
