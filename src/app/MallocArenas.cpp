#include "app/MallocArenas.h"

#include <cstdlib>
#include <cstring>

#include <malloc.h>

namespace wiretap::app
{

void limitMallocArenas()
{
    const char* tunables = std::getenv("GLIBC_TUNABLES");
    if (std::getenv("MALLOC_ARENA_MAX") != nullptr ||
        (tunables != nullptr && std::strstr(tunables, "glibc.malloc.arena_max") != nullptr))
        return;
    ::mallopt(M_ARENA_MAX, 2);
}

} // namespace wiretap::app
