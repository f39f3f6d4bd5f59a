# Dear ImGui 1.86 from Debian's source package, fetched by scripts/setup.sh into
# third_party/imgui (libimgui-dev has headers only). Two libraries:
#   spexlens_imgui          the core (native and wasm)
#   spexlens_imgui_glfw_gl3 the GLFW + OpenGL ES 3 backends (wasm: emscripten's GLFW on WebGL2)
set(SPEXLENS_IMGUI_DIR ${PROJECT_SOURCE_DIR}/third_party/imgui)
if(NOT EXISTS ${SPEXLENS_IMGUI_DIR}/imgui.cpp)
  message(FATAL_ERROR "${SPEXLENS_IMGUI_DIR}/imgui.cpp is missing: run scripts/setup.sh (it fetches Dear ImGui's sources)")
endif()

add_library(spexlens_imgui STATIC
  ${SPEXLENS_IMGUI_DIR}/imgui.cpp
  ${SPEXLENS_IMGUI_DIR}/imgui_draw.cpp
  ${SPEXLENS_IMGUI_DIR}/imgui_tables.cpp
  ${SPEXLENS_IMGUI_DIR}/imgui_widgets.cpp)
target_include_directories(spexlens_imgui SYSTEM PUBLIC ${SPEXLENS_IMGUI_DIR})
# No imgui.ini: the page keeps nothing in storage unless the user exports it.
target_compile_definitions(spexlens_imgui PUBLIC IMGUI_DISABLE_FILE_FUNCTIONS IMGUI_DISABLE_OBSOLETE_FUNCTIONS)
target_compile_options(spexlens_imgui PRIVATE -w)

if(EMSCRIPTEN)
  add_library(spexlens_imgui_glfw_gl3 STATIC
    ${SPEXLENS_IMGUI_DIR}/backends/imgui_impl_glfw.cpp
    ${SPEXLENS_IMGUI_DIR}/backends/imgui_impl_opengl3.cpp)
  target_include_directories(spexlens_imgui_glfw_gl3 SYSTEM PUBLIC ${SPEXLENS_IMGUI_DIR}/backends)
  target_compile_definitions(spexlens_imgui_glfw_gl3 PUBLIC IMGUI_IMPL_OPENGL_ES3)
  target_compile_options(spexlens_imgui_glfw_gl3 PRIVATE -w -sUSE_GLFW=3)
  target_link_libraries(spexlens_imgui_glfw_gl3 PUBLIC spexlens_imgui)
endif()
