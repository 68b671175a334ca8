# kt_cc_library / kt_cc_test / kt_cc_binary: one target per concept, sources listed by name.
#
# A target declared in <repo>/<component>/... is named <component>_<NAME> and aliased
# <component>::<NAME>, e.g. kt_cc_library(NAME dma_map ...) in vfio/ gives vfio::dma_map.

function(_kt_component out)
  file(RELATIVE_PATH rel "${PROJECT_SOURCE_DIR}" "${CMAKE_CURRENT_SOURCE_DIR}")
  string(REGEX REPLACE "/.*" "" component "${rel}")
  set(${out} "${component}" PARENT_SCOPE)
endfunction()

# kt_cc_library(NAME n [SRCS ...] [HDRS ...] [DEPS ...] [COPTS ...])
# Without SRCS the library is header-only (INTERFACE).
function(kt_cc_library)
  cmake_parse_arguments(KT "" "NAME" "SRCS;HDRS;DEPS;COPTS" ${ARGN})
  _kt_component(component)
  set(target ${component}_${KT_NAME})
  if(KT_SRCS)
    add_library(${target} STATIC ${KT_SRCS} ${KT_HDRS})
    target_include_directories(${target} PUBLIC "${PROJECT_SOURCE_DIR}")
    target_link_libraries(${target} PUBLIC ${KT_DEPS})
    target_compile_options(${target} PRIVATE ${KT_COPTS})
  else()
    add_library(${target} INTERFACE ${KT_HDRS})
    target_include_directories(${target} INTERFACE "${PROJECT_SOURCE_DIR}")
    target_link_libraries(${target} INTERFACE ${KT_DEPS})
  endif()
  add_library(${component}::${KT_NAME} ALIAS ${target})
endfunction()

# kt_cc_test(NAME n SRCS ... [DEPS ...] [LABELS ...] [COPTS ...])
# A GoogleTest binary; each TEST is its own ctest entry, labelled "unit" plus LABELS.
function(kt_cc_test)
  cmake_parse_arguments(KT "" "NAME" "SRCS;DEPS;LABELS;COPTS" ${ARGN})
  _kt_component(component)
  set(target ${component}_${KT_NAME})
  add_executable(${target} ${KT_SRCS})
  target_link_libraries(${target} PRIVATE ${KT_DEPS} GTest::gtest GTest::gmock GTest::gtest_main)
  target_compile_options(${target} PRIVATE ${KT_COPTS})
  # Labels go through a test-include file: gtest_discover_tests' PROPERTIES would split a
  # list value into property names, applying only the first label.
  set(labels unit ${component} ${KT_LABELS})
  gtest_discover_tests(${target} DISCOVERY_MODE PRE_TEST TEST_LIST ${target}_TESTS)
  file(WRITE "${CMAKE_CURRENT_BINARY_DIR}/${target}_labels.cmake"
    "if(DEFINED ${target}_TESTS)\n"
    "  set_tests_properties(\${${target}_TESTS} PROPERTIES LABELS \"${labels}\")\n"
    "endif()\n")
  set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES
    "${CMAKE_CURRENT_BINARY_DIR}/${target}_labels.cmake")
endfunction()

# kt_cc_binary(NAME n SRCS ... [DEPS ...] [COPTS ...])
function(kt_cc_binary)
  cmake_parse_arguments(KT "" "NAME" "SRCS;DEPS;COPTS" ${ARGN})
  _kt_component(component)
  set(target ${component}_${KT_NAME})
  add_executable(${target} ${KT_SRCS})
  target_link_libraries(${target} PRIVATE ${KT_DEPS})
  target_compile_options(${target} PRIVATE ${KT_COPTS})
endfunction()
