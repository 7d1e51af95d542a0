# Cross build for Windows x64 with Debian's mingw-w64 (posix thread model: std::thread, mutex,
# filesystem work; the plain x86_64-w64-mingw32-g++ is the win32 model and lacks them).
#   cmake -S . -B build/mingw -G Ninja -DCMAKE_TOOLCHAIN_FILE=cmake/MingwToolchain.cmake
# Dependencies come from cmake/CrossDeps.cmake (OCICERT_CROSS): never host /usr/include.
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(OCICERT_MINGW_PREFIX x86_64-w64-mingw32)

set(CMAKE_C_COMPILER ${OCICERT_MINGW_PREFIX}-gcc-posix)
set(CMAKE_CXX_COMPILER ${OCICERT_MINGW_PREFIX}-g++-posix)
set(CMAKE_RC_COMPILER ${OCICERT_MINGW_PREFIX}-windres)

set(CMAKE_FIND_ROOT_PATH /usr/${OCICERT_MINGW_PREFIX})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# Self-contained executables: no libstdc++-6 / libgcc_s_seh-1 / libwinpthread-1 DLLs to ship.
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static")
set(CMAKE_SHARED_LINKER_FLAGS_INIT "-static")

set(OCICERT_CROSS ON CACHE BOOL "Cross build: dependencies from cmake/CrossDeps.cmake" FORCE)
# Debian's libbenchmark is a Linux library; the benchmark programs are not part of the Windows build.
set(OCICERT_BUILD_BENCH OFF CACHE BOOL "Build the Google Benchmark programs" FORCE)
