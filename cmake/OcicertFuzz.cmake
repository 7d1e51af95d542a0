# ocicert_fuzz(NAME SOURCES a.cc ... LIBS lib...)
# A libFuzzer target whose sources define LLVMFuzzerTestOneInput.
#  - With -DOCICERT_FUZZ=ON (clang; scripts/test-stages/20-fuzz.sh): the fuzzer binary NAME, with
#    ASan and UBSan.
#  - With the tests: NAME_replay_test (label unit), which runs every file under fixtures/fuzz/NAME/
#    (the committed corpus and every crash the fuzzer ever found, as regression inputs) through the
#    same function in a normal build.
function(ocicert_fuzz name)
  cmake_parse_arguments(F "" "" "SOURCES;LIBS" ${ARGN})
  if(OCICERT_FUZZ)
    add_executable(${name} ${F_SOURCES})
    target_link_libraries(${name} PRIVATE ${F_LIBS})
    target_compile_options(${name} PRIVATE -fsanitize=fuzzer,address,undefined)
    target_link_options(${name} PRIVATE -fsanitize=fuzzer,address,undefined)
  endif()
  ocicert_test(${name}_replay_test SOURCES ${F_SOURCES} ${CMAKE_SOURCE_DIR}/base/fuzz_replay_test.cc
               LIBS ${F_LIBS} LABELS unit)
  if(TARGET ${name}_replay_test)
    target_compile_definitions(${name}_replay_test PRIVATE
      OCICERT_FUZZ_INPUTS="${CMAKE_SOURCE_DIR}/fixtures/fuzz/${name}")
  endif()
endfunction()
