#pragma once

#include <Poco/File.h>
#include <Poco/TemporaryFile.h>

#include <fstream>
#include <string>

namespace wiretap::backend
{

/// A scratch folder for one test, removed with everything in it when the test ends.
class TempDir
{
public:
    TempDir() : _path(Poco::TemporaryFile::tempName()) { Poco::File(_path).createDirectories(); }
    ~TempDir() { Poco::File(_path).remove(true); }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    const std::string& path() const { return _path; }

    /// Writes `text` to NAME in the folder; returns its path.
    std::string write(const std::string& name, const std::string& text, bool executable = false) const
    {
        const std::string file = _path + "/" + name;
        std::ofstream(file, std::ios::binary) << text;
        if (executable)
            Poco::File(file).setExecutable(true);
        return file;
    }

    std::string read(const std::string& name) const
    {
        std::ifstream in(_path + "/" + name, std::ios::binary);
        return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }

private:
    std::string _path;
};

} // namespace wiretap::backend
