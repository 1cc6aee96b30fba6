#pragma once

#include "../backend/MockContainerBackend.h"

#include <string>
#include <vector>

namespace wiretap::deploy
{

/// Thrown where wiretap "dies". Not a std::exception: it unwinds past every
/// catch in the deployer, so no rollback and no journal write runs after it —
/// the state is what SIGKILL would leave.
struct Crash
{
};

/// The mock backend, numbering every call that changes a container (and the
/// readiness checks of new ones), and crashing before or after the n-th.
class CrashingBackend : public backend::MockContainerBackend
{
public:
    int crashBefore = -1;
    int crashAfter = -1;

    void stopContainer(const std::string& container, const std::string& signal, int timeoutSeconds) override
    {
        const int n = enter();
        MockContainerBackend::stopContainer(container, signal, timeoutSeconds);
        leave(n);
    }
    void renameContainer(const std::string& container, const std::string& newName) override
    {
        const int n = enter();
        MockContainerBackend::renameContainer(container, newName);
        leave(n);
    }
    void removeContainer(const std::string& container, bool force, bool removeVolumes) override
    {
        const int n = enter();
        MockContainerBackend::removeContainer(container, force, removeVolumes);
        leave(n);
    }
    std::string createContainer(const backend::ContainerSpec& spec, const std::string& image,
                                const std::string& name) override
    {
        const int n = enter();
        const std::string id = MockContainerBackend::createContainer(spec, image, name);
        leave(n);
        return id;
    }
    std::string runContainer(const backend::ContainerSpec& spec, const std::string& image,
                             const std::string& name) override
    {
        const int n = enter();
        const std::string id = MockContainerBackend::runContainer(spec, image, name);
        leave(n);
        return id;
    }
    void startContainer(const std::string& container) override
    {
        const int n = enter();
        MockContainerBackend::startContainer(container);
        leave(n);
    }
    std::vector<Poco::JSON::Object::Ptr>
    inspectContainers(const std::vector<std::string>& containers) override
    {
        if (created().empty() || containers != std::vector<std::string>{created().back().id})
            return MockContainerBackend::inspectContainers(containers);
        const int n = enter();
        auto result = MockContainerBackend::inspectContainers(containers);
        leave(n);
        return result;
    }

    /// How many numbered calls were made.
    int count() const { return _count; }
    void disarm() { crashBefore = crashAfter = -1; }

protected:
    /// A numbered point inside runContainer: the container is created, not started.
    void afterRunCreated(const std::string&) override { leave(enter()); }

private:
    int enter()
    {
        const int n = _count++;
        if (n == crashBefore)
            throw Crash();
        return n;
    }
    void leave(int n) const
    {
        if (n == crashAfter)
            throw Crash();
    }

    int _count = 0;
};

} // namespace wiretap::deploy
