# Dependencies for cross builds (included by Deps.cmake when OCICERT_CROSS is set).
# The header-only libraries are Debian's, exposed through a build-tree folder of symlinks so that the
# cross compiler never sees host /usr/include (glibc headers there hide mingw's). The targets carry
# the native names, so component CMakeLists.txt files link them the same way on both platforms.
set(OCICERT_CROSS_INCLUDE "${CMAKE_BINARY_DIR}/cross-include")
file(MAKE_DIRECTORY "${OCICERT_CROSS_INCLUDE}")

function(ocicert_cross_link name)
  set(found "")
  foreach(candidate ${ARGN})
    if(EXISTS "${candidate}")
      set(found "${candidate}")
      break()
    endif()
  endforeach()
  if(NOT found)
    message(FATAL_ERROR "cross build: headers for ${name} not found (looked in ${ARGN}); run scripts/setup-deps.sh")
  endif()
  file(CREATE_LINK "${found}" "${OCICERT_CROSS_INCLUDE}/${name}" SYMBOLIC)
endfunction()

ocicert_cross_link(nlohmann /usr/include/nlohmann)
ocicert_cross_link(fmt /usr/include/fmt)
ocicert_cross_link(CLI /usr/include/CLI)
ocicert_cross_link(valijson "${OCICERT_DEPS_DIR}/valijson/usr/include/valijson" /usr/include/valijson)

function(ocicert_cross_target name)
  add_library(${name} INTERFACE IMPORTED GLOBAL)
  target_include_directories(${name} SYSTEM INTERFACE "${OCICERT_CROSS_INCLUDE}")
  if(ARGN)
    target_compile_definitions(${name} INTERFACE ${ARGN})
  endif()
endfunction()

ocicert_cross_target(nlohmann_json::nlohmann_json)
ocicert_cross_target(fmt::fmt FMT_HEADER_ONLY=1)  # Debian's libfmt.so is a Linux library
ocicert_cross_target(CLI11::CLI11)
ocicert_cross_target(valijson VALIJSON_USE_EXCEPTIONS=1)

find_package(Threads REQUIRED)

# mingw-w64 provides the POSIX reentrant time functions (gmtime_r, localtime_r) only on request.
add_compile_definitions(_POSIX_THREAD_SAFE_FUNCTIONS=200112L)

if(OCICERT_BUILD_TESTS)
  # Debian's libgtest.a is Linux-only; its sources build cleanly with the mingw toolchain.
  set(INSTALL_GTEST OFF CACHE BOOL "" FORCE)
  set(gtest_force_shared_crt ON CACHE BOOL "" FORCE)
  add_subdirectory(/usr/src/googletest "${CMAKE_BINARY_DIR}/googletest" EXCLUDE_FROM_ALL SYSTEM)
  foreach(lib gtest gtest_main gmock gmock_main)
    if(NOT TARGET GTest::${lib})
      add_library(GTest::${lib} ALIAS ${lib})
    endif()
  endforeach()
  include(GoogleTest)

  # Windows test binaries run under wine: a prefix inside the build folder, no debug chatter.
  # scripts/test-stages/10-windows.sh pre-starts a wineserver so each test starts in milliseconds.
  find_program(OCICERT_WINE64 NAMES wine64 PATHS /usr/lib/wine NO_DEFAULT_PATH)
  find_program(OCICERT_WINE64 NAMES wine64 wine)
  if(OCICERT_WINE64)
    set(CMAKE_CROSSCOMPILING_EMULATOR
        env "WINEPREFIX=${CMAKE_BINARY_DIR}/wineprefix" WINEDEBUG=-all "${OCICERT_WINE64}")
  else()
    message(WARNING "wine64 not found: Windows tests are built but ctest cannot run them")
  endif()
endif()
