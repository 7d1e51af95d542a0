// Test fixture of the tree-removal tests: <tmp>/oct-cleanup-tree-<pid>/ with "outside" (files that
// must survive: what a runtime could link or bind-mount into a case folder) and "case" (a tree to remove).
#pragma once

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

namespace harness::host {

class CleanupTree : public ::testing::Test {
 protected:
  void SetUp() override {
    namespace fs = std::filesystem;
    base_ = fs::temp_directory_path() / ("oct-cleanup-tree-" + std::to_string(::getpid()));
    fs::create_directories(base_ / "outside" / "sub");
    std::ofstream(base_ / "outside" / "keep") << "keep";
    std::ofstream(base_ / "outside" / "sub" / "keep") << "keep";
    fs::create_directories(base_ / "case" / "a" / "b");
    std::ofstream(base_ / "case" / "a" / "b" / "f") << "x";
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(base_, ec);
  }
  std::filesystem::path base_;
};

}  // namespace harness::host
