# ocicert_test(NAME SOURCES a.cc b.cc LIBS lib... LABELS unit|privileged|slow [TIMEOUT s])
# One gtest binary; each TEST becomes one CTest test carrying the labels.
# Label meanings: unit (no root, fast), privileged (root, namespaces, cgroups; skips itself with a reason
# when those are missing), slow (takes more than a few seconds).
function(ocicert_test name)
  if(NOT OCICERT_BUILD_TESTS)
    return()
  endif()
  cmake_parse_arguments(T "" "TIMEOUT" "SOURCES;LIBS;LABELS" ${ARGN})
  if(NOT T_LABELS)
    set(T_LABELS unit)
  endif()
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 300)
  endif()
  add_executable(${name} ${T_SOURCES})
  target_link_libraries(${name} PRIVATE ${T_LIBS} GTest::gtest GTest::gtest_main)
  target_compile_definitions(${name} PRIVATE
    OCICERT_SOURCE_DIR="${CMAKE_SOURCE_DIR}" OCICERT_BINARY_DIR="${CMAKE_BINARY_DIR}")
  gtest_discover_tests(${name}
    DISCOVERY_MODE PRE_TEST
    DISCOVERY_TIMEOUT 120  # under wine (cross builds) listing the tests takes seconds
    PROPERTIES LABELS "${T_LABELS}" TIMEOUT ${T_TIMEOUT}
    TEST_PREFIX "${name}.")
endfunction()
