// libFuzzer target: ImageReference::parse / tryParse and normalization.
// Input: the reference text. Only ReferenceError may come out of parse(); a
// parsed reference must survive its own normalized and familiar forms unchanged.
#include "events/ImageReference.h"
#include "events/ReferenceError.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

using wiretap::events::ImageReference;
using wiretap::events::ReferenceError;

namespace
{
void require(bool condition)
{
    if (!condition)
        std::abort();
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const std::string text(reinterpret_cast<const char*>(data), size);
    const auto parsed = ImageReference::tryParse(text);
    bool threw = false;
    try
    {
        const auto reference = ImageReference::parse(text);
        require(parsed.has_value() && *parsed == reference);
    }
    catch (const ReferenceError&)
    {
        threw = true;
    }
    require(threw == !parsed.has_value());
    if (!parsed)
        return 0;

    const ImageReference& reference = *parsed;
    require(!reference.tag().empty() || !reference.digest().empty());
    require(ImageReference::isValidTag(reference.tag()) || reference.tag().empty());
    require(reference.digest().empty() || ImageReference::isValidDigest(reference.digest()));

    const auto again = ImageReference::tryParse(reference.normalized());
    require(again.has_value() && *again == reference);
    require(again->normalized() == reference.normalized());
    const auto familiar = ImageReference::tryParse(reference.familiar());
    require(familiar.has_value() && *familiar == reference);
    require(reference.sameRepositoryAndTag(*familiar));
    (void)reference.repository();
    (void)reference.familiarName();
    return 0;
}
