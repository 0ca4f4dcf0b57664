#include "helenus/exec/dist/collective.h"

namespace helenus::exec::dist {

Collective& Local() {
  static LocalCollective local;
  return local;
}

}  // namespace helenus::exec::dist
