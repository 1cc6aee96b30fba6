#include "config/EffectiveConfiguration.h"

#include "config/SecretMask.h"

namespace wiretap::config
{
namespace
{
void printLine(std::ostream& out, const std::string& key, const std::string& value, const std::string& note)
{
    out << key << " = " << value << "  # " << note << '\n';
}
} // namespace

void printEffectiveConfiguration(std::ostream& out, const Poco::Util::AbstractConfiguration& config,
                                 const ConfigLayers& layers, const SettingCatalog& catalog)
{
    for (const auto& setting : catalog.settings())
        printLine(out, setting.key,
                  maskedValue(setting.key, config.getRawString(setting.key, setting.defaultValue)),
                  layers.describeSource(setting.key));

    const auto explicitKeys = layers.explicitKeys();
    for (const auto& key : explicitKeys)
        if (catalog.matchesPatternOrPrefix(key))
            printLine(out, key, maskedValue(key, config.getRawString(key, "")), layers.describeSource(key));
    for (const auto& key : catalog.unknownAmong(explicitKeys))
        printLine(out, key, maskedValue(key, config.getRawString(key, "")),
                  "unknown key, ignored; " + layers.describeSource(key));
}

} // namespace wiretap::config
