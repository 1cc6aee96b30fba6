#include "log/ScopedLogFields.h"

namespace wiretap::log
{
namespace
{
Fields& threadFields()
{
    thread_local Fields fields;
    return fields;
}
} // namespace

ScopedLogFields::ScopedLogFields(const Fields& fields) : _previousSize(threadFields().size())
{
    threadFields().insert(threadFields().end(), fields.begin(), fields.end());
}

ScopedLogFields::~ScopedLogFields()
{
    threadFields().resize(_previousSize);
}

const Fields& ScopedLogFields::current()
{
    return threadFields();
}

} // namespace wiretap::log
