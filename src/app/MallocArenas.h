#pragma once

namespace wiretap::app
{

/// Caps glibc's malloc at two arenas unless MALLOC_ARENA_MAX (or GLIBC_TUNABLES'
/// glibc.malloc.arena_max) already chose. glibc gives a thread that meets contention an arena of
/// its own, up to eight per core, each keeping its freed memory: with a hundred HTTP worker
/// threads that was most of what wiretap held under load (32-54 MiB at the default, 24-26 with
/// two arenas, up to 37 with four). Call first in main(), before any thread exists.
void limitMallocArenas();

} // namespace wiretap::app
