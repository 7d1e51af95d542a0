# Third-party dependencies, all from Debian packages (see scripts/setup-deps.sh).
#  - nlohmann_json, fmt, CLI11: header-only use.
#  - valijson: header-only; either the installed package (/usr/include/valijson) or the headers that
#    scripts/setup-deps.sh extracts from the .deb into .deps/ (the package's hard dependencies weigh
#    ~880 MB and are not needed to compile against its headers).
#  - GTest, benchmark: Debian's libgtest-dev / libbenchmark-dev.
#  - libseccomp: Debian's libseccomp-dev, through pkg-config (Linux builds only).
# Cross builds (mingw) must not see host /usr/include: cmake/MingwToolchain.cmake sets
# OCICERT_CROSS and this file then exposes only symlinked header folders.

set(OCICERT_DEPS_DIR "${CMAKE_SOURCE_DIR}/.deps" CACHE PATH "Extracted header-only dependencies")

if(OCICERT_CROSS)
  include(CrossDeps)
  return()
endif()

find_package(Threads REQUIRED)
# libseccomp (libseccomp-dev): ocirun's Linux backend compiles linux.seccomp with it.
find_package(PkgConfig REQUIRED)
pkg_check_modules(SECCOMP REQUIRED IMPORTED_TARGET libseccomp)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(fmt REQUIRED)
find_package(CLI11 CONFIG QUIET)
if(NOT TARGET CLI11::CLI11)
  find_path(CLI11_INCLUDE_DIR CLI/CLI.hpp REQUIRED)
  add_library(CLI11::CLI11 INTERFACE IMPORTED)
  target_include_directories(CLI11::CLI11 INTERFACE ${CLI11_INCLUDE_DIR})
endif()

if(NOT TARGET valijson)
  find_path(VALIJSON_INCLUDE_DIR valijson/validator.hpp
            HINTS "${OCICERT_DEPS_DIR}/valijson/usr/include" /usr/include REQUIRED NO_CMAKE_FIND_ROOT_PATH)
  add_library(valijson INTERFACE IMPORTED)
  target_include_directories(valijson SYSTEM INTERFACE ${VALIJSON_INCLUDE_DIR})
  target_compile_definitions(valijson INTERFACE VALIJSON_USE_EXCEPTIONS=1)
endif()

if(OCICERT_BUILD_TESTS)
  find_package(GTest REQUIRED)
  include(GoogleTest)
endif()
if(OCICERT_BUILD_BENCH)
  find_package(benchmark REQUIRED)
endif()
