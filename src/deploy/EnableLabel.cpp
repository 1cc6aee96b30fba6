#include "deploy/EnableLabel.h"

#include <Poco/String.h>

namespace wiretap::deploy
{

std::string EnableLabel::skipReason(const std::map<std::string, std::string>& labels, bool labelEnable)
{
    const auto label = labels.find(kKey);
    const std::string enable = label == labels.end() ? "" : Poco::toLower(Poco::trim(label->second));
    if (enable == "false")
        return "label wiretap.enable=false";
    if (labelEnable && enable != "true")
        return "no label wiretap.enable=true (deploy.labelEnable is on)";
    return "";
}

} // namespace wiretap::deploy
