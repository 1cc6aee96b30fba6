#include "log/JsonLogFormatter.h"

#include "log/LogFields.h"
#include "log/LogrusFormatter.h"

#include <Poco/DateTimeFormatter.h>
#include <Poco/JSON/Object.h>
#include <Poco/Message.h>

#include <sstream>

namespace wiretap::log
{

void JsonLogFormatter::format(const Poco::Message& message, std::string& text)
{
    Poco::JSON::Object object(Poco::JSON_PRESERVE_KEY_ORDER);
    object.set("time", Poco::DateTimeFormatter::format(message.getTime(), "%Y-%m-%dT%H:%M:%S.%iZ"));
    object.set("level", LogrusFormatter::levelName(message.getPriority()));
    object.set("msg", message.getText());
    object.set("logger", message.getSource());
    for (const auto& field : fieldsOf(message))
        object.set(fieldKey(field.key, true), field.value);
    std::ostringstream out;
    object.stringify(out);
    text = out.str();
}

} // namespace wiretap::log
