#pragma once

#include "log/LogFields.h"

#include <cstddef>

namespace wiretap::log
{

/// Fields that every line this thread writes through log::write carries at its end while the
/// scope lives (a mapped diagnostic context): `Host=web1` on each line of one docker host's part
/// of a deploy, without passing the host through every class that logs. Scopes nest; a thread
/// that works for another starts its own scope with the other's current() fields.
class ScopedLogFields
{
public:
    explicit ScopedLogFields(const Fields& fields);
    ~ScopedLogFields();
    ScopedLogFields(const ScopedLogFields&) = delete;
    ScopedLogFields& operator=(const ScopedLogFields&) = delete;

    /// This thread's fields, outermost scope first.
    static const Fields& current();

private:
    std::size_t _previousSize;
};

} // namespace wiretap::log
