#include "runtime/container/operations.h"

namespace ocirun {

base::Status CreateWith(const Runtime& rt, const CreateOptions& o, bool foreground);

base::Result<int> Run(const Runtime& rt, const RunOptions& opts) {
  RETURN_IF_ERROR(CreateWith(rt, opts.create, !opts.detach));
  base::Status started = Start(rt, opts.create.id);
  if (!started.ok()) {
    Delete(rt, opts.create.id, /*force=*/true).IgnoreError();
    return started;
  }
  if (opts.detach) return 0;
  StateFacts facts;
  {
    ASSIGN_OR_RETURN(Container c, Container::Load(rt, opts.create.id));
    facts = c.facts();
  }  // The lock is released while we wait, so kill/state work meanwhile.
  base::Result<int> status = rt.backend->WaitInit(facts);
  if (!opts.keep) Delete(rt, opts.create.id, /*force=*/true).IgnoreError();
  return status;
}

}  // namespace ocirun
