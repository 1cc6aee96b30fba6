#include "backend/DockerError.h"

#include "backend/ShellQuote.h"

#include <Poco/String.h>

namespace wiretap::backend
{
namespace
{

bool isSecretFlag(const std::string& flag)
{
    const std::string name = Poco::toLower(flag);
    return name == "-e" || name == "--env" || name == "--password" || name == "--build-arg" ||
           name.find("token") != std::string::npos || name.find("secret") != std::string::npos;
}

/// KEY=VALUE keeps its key; anything else is masked whole.
std::string masked(const std::string& flag, const std::string& value)
{
    const std::string name = Poco::toLower(flag);
    if (name == "-e" || name == "--env" || name == "--build-arg")
    {
        const auto equals = value.find('=');
        return equals == std::string::npos ? value : value.substr(0, equals + 1) + "***";
    }
    return "***";
}

std::string describe(const std::vector<std::string>& argv, int exitCode, const std::string& stderrText,
                     bool timedOut)
{
    std::string message = "docker call failed: " + shellJoin(DockerError::maskSecrets(argv));
    if (timedOut)
        message += ": timed out (killed)";
    else if (exitCode >= 256)
        message += ": killed by signal " + std::to_string(exitCode - 256);
    else
        message += ": exit status " + std::to_string(exitCode);
    if (!stderrText.empty())
        message += ": " + stderrText;
    return message;
}

} // namespace

DockerError::DockerError(const std::vector<std::string>& argv, int exitCode, const std::string& stderrText,
                         bool timedOut)
    : BackendError(describe(argv, exitCode, Poco::trim(stderrText), timedOut)),
      _command(shellJoin(maskSecrets(argv))), _stderr(Poco::trim(stderrText)), _exitCode(exitCode),
      _timedOut(timedOut)
{
}

std::vector<std::string> DockerError::maskSecrets(const std::vector<std::string>& argv)
{
    std::vector<std::string> result;
    result.reserve(argv.size());
    bool maskNext = false;
    std::string previous;
    for (const auto& arg : argv)
    {
        if (maskNext)
        {
            result.push_back(masked(previous, arg));
            maskNext = false;
            continue;
        }
        const auto equals = arg.find('=');
        if (arg.rfind("-", 0) == 0 && equals != std::string::npos && isSecretFlag(arg.substr(0, equals)))
            result.push_back(arg.substr(0, equals + 1) +
                             masked(arg.substr(0, equals), arg.substr(equals + 1)));
        else
        {
            result.push_back(arg);
            maskNext = arg.rfind("-", 0) == 0 && equals == std::string::npos && isSecretFlag(arg);
            previous = arg;
        }
    }
    return result;
}

} // namespace wiretap::backend
