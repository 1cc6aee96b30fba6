#pragma once

namespace wiretap::app
{

/// Caps glibc's malloc at four arenas unless MALLOC_ARENA_MAX (or GLIBC_TUNABLES'
/// glibc.malloc.arena_max) already chose. glibc gives a thread that meets contention an arena of
/// its own, up to eight per core, each keeping its freed memory: with a hundred HTTP worker
/// threads that was most of what wiretap held under load (32-36 MiB at the default, about 24
/// with two or four arenas; two showed more lock contention). Call first in main().
void limitMallocArenas();

} // namespace wiretap::app
