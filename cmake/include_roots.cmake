# Per-library include roots: the layering enforced by the compiler (docs/architecture.md).
#
# Every project header is included by its path under src/ ("spex/session.h", "text/utf8.h").
# Instead of exposing all of src/ to everyone, each library gets an include root of its own in
# the build tree, build/<preset>/include/<target>/, holding only symbolic links to its own source
# directories (include/spex_engine/spex -> src/spex). A target sees the roots of the libraries it
# links, so a file in src/spex that includes "text/…" fails to compile: spex_engine links no
# text library. (A quoted include is looked up beside the including file first; no source
# directory has a subdirectory named after another library, so that finds nothing either.)
#
#   spexlens_headers(TARGET PUBLIC|PRIVATE|INTERFACE DIR...)   DIR relative to src/, e.g. app/model

function(spexlens_headers target visibility)
  set(root ${CMAKE_BINARY_DIR}/include/${target})
  foreach(dir ${ARGN})
    if(NOT IS_DIRECTORY ${PROJECT_SOURCE_DIR}/src/${dir})
      message(FATAL_ERROR "spexlens_headers(${target}): src/${dir} is not a directory")
    endif()
    get_filename_component(parent ${root}/${dir} DIRECTORY)
    file(MAKE_DIRECTORY ${parent})
    if(NOT EXISTS ${root}/${dir})
      file(CREATE_LINK ${PROJECT_SOURCE_DIR}/src/${dir} ${root}/${dir} SYMBOLIC)
    endif()
  endforeach()
  target_include_directories(${target} ${visibility} ${root})
endfunction()
