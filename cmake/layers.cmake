# helenus_layer(name DEPS ...): one static library per folder src/<name>,
# public headers under include/helenus/<name>, unit tests under
# tests/unit/<name>. Sources are globbed so that adding a file needs no edit.
function(helenus_layer name)
  cmake_parse_arguments(L "" "" "DEPS" ${ARGN})
  file(GLOB srcs CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/src/${name}/*.cpp)
  if(NOT srcs)
    # A layer whose first source has not landed yet: headers only.
    add_library(helenus_${name} INTERFACE)
    target_include_directories(helenus_${name} INTERFACE ${PROJECT_SOURCE_DIR}/include)
    target_link_libraries(helenus_${name} INTERFACE ${L_DEPS})
    return()
  endif()
  add_library(helenus_${name} STATIC ${srcs})
  target_include_directories(helenus_${name} PUBLIC ${PROJECT_SOURCE_DIR}/include
                                             PRIVATE ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(helenus_${name} PUBLIC ${L_DEPS})
endfunction()

# helenus_unit_tests(layer): one GoogleTest binary per layer.
function(helenus_unit_tests name)
  file(GLOB srcs CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/tests/unit/${name}/*_test.cpp)
  if(NOT srcs)
    return()
  endif()
  add_executable(unit_${name} ${srcs})
  target_link_libraries(unit_${name} PRIVATE helenus_${name} GTest::gtest_main)
  target_include_directories(unit_${name} PRIVATE ${PROJECT_SOURCE_DIR}/src)
  add_test(NAME unit_${name} COMMAND unit_${name})
endfunction()
