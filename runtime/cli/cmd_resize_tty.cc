// ocirun resize-tty [-p pid] <id> <width> <height>: runhcs's console resize (Windows containers).
#include "runtime/cli/command.h"

namespace ocirun::cli {

struct ResizeTtyFlags {
  std::string id;
  int width = 0;
  int height = 0;
  int pid = 0;
};

CommandRun RegisterResizeTty(CLI::App& app, GlobalOptions& global) {
  auto f = std::make_shared<ResizeTtyFlags>();
  auto* sub = app.add_subcommand("resize-tty", "resize the console of a container process (Windows)");
  sub->add_option("id", f->id, "container id")->required();
  // runhcs: appargs.Int(10, 1, 65535) for both.
  sub->add_option("width", f->width, "columns")->required()->check(CLI::Range(1, 65535));
  sub->add_option("height", f->height, "rows")->required()->check(CLI::Range(1, 65535));
  sub->add_option("-p,--pid", f->pid, "the process's pid in the container (default: the init)")
      ->check(CLI::NonNegativeNumber);
  return [&global, f] {
    base::Status st = ResizeTty(GetRuntime(global), f->id, f->pid, f->width, f->height);
    return st.ok() ? 0 : ReportError(global, st);
  };
}

}  // namespace ocirun::cli
