// The floor of bench/intake.sh: the least an HTTP server can do for the same
// request, measured on the same machine in the same run as wiretap and webhook.
//
// One thread, one epoll loop, non-blocking sockets, keep-alive. For each
// request it finds the head's end and Content-Length, checks `token=` in the
// request line against FLOOR_TOKEN, parses the body with Poco::JSON (as wiretap
// does), reads `repository.repo_name`, and answers 202 with a small JSON body
// (401 for a wrong token, 400 for a body that is not a Docker Hub payload). No
// routing, limits, timeouts, metrics, logging or queue: whatever latency it
// shows under wrk is the machine's (and wrk's own), not a server design's.
//
// Build: g++ -O2 -std=c++17 floor_server.cpp -o floor_server -lPocoJSON -lPocoFoundation
// Run:   FLOOR_TOKEN=secret ./floor_server PORT      (listens on 127.0.0.1 only)
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <unordered_map>

namespace
{
std::string answer(int status, const std::string& body)
{
    const char* reason = status == 202 ? "Accepted" : status == 401 ? "Unauthorized" : "Bad Request";
    return "HTTP/1.1 " + std::to_string(status) + " " + reason +
           "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
           "\r\n\r\n" + body;
}

std::string handle(const std::string& head, const std::string& body, const std::string& token)
{
    const std::size_t lineEnd = head.find("\r\n");
    const std::string line = head.substr(0, lineEnd);
    const std::size_t at = line.find("token=");
    const std::size_t end = at == std::string::npos ? at : line.find_first_of("& ", at);
    if (at == std::string::npos || line.compare(at + 6, end - at - 6, token) != 0 ||
        end - at - 6 != token.size())
        return answer(401, "{\"error\":\"wrong token\"}");
    try
    {
        Poco::JSON::Parser parser;
        const auto root = parser.parse(body).extract<Poco::JSON::Object::Ptr>();
        const std::string name = root->getObject("repository")->getValue<std::string>("repo_name");
        return answer(202, "{\"accepted\":[{\"image\":\"" + name + "\",\"tag\":\"latest\"}]}");
    }
    catch (const std::exception&)
    {
        return answer(400, "{\"error\":\"not a Docker Hub payload\"}");
    }
}

/// Answers every complete request at the front of `in`; false when the connection must close.
bool serve(int fd, std::string& in, const std::string& token)
{
    for (;;)
    {
        const std::size_t headEnd = in.find("\r\n\r\n");
        if (headEnd == std::string::npos)
            return in.size() < 65536;
        std::size_t length = 0;
        const std::size_t field = in.find("\r\nContent-Length:");
        if (field != std::string::npos && field < headEnd)
            length = std::strtoul(in.c_str() + field + 17, nullptr, 10);
        if (in.size() < headEnd + 4 + length)
            return length <= (1u << 20);
        const std::string reply = handle(in.substr(0, headEnd), in.substr(headEnd + 4, length), token);
        in.erase(0, headEnd + 4 + length);
        // Answers are small; a full send buffer means the client does not read: drop it.
        if (send(fd, reply.data(), reply.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(reply.size()))
            return false;
    }
}
} // namespace

int main(int argc, char** argv)
{
    const char* token = std::getenv("FLOOR_TOKEN");
    if (argc != 2 || token == nullptr || *token == '\0')
    {
        std::fprintf(stderr, "usage: FLOOR_TOKEN=secret %s PORT\n", argv[0]);
        return 64;
    }
    const int listener = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    const int one = 1;
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(std::atoi(argv[1])));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        listen(listener, SOMAXCONN) != 0)
    {
        std::perror("floor_server: bind/listen");
        return 71;
    }
    const int loop = epoll_create1(0);
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.fd = listener;
    epoll_ctl(loop, EPOLL_CTL_ADD, listener, &event);

    std::unordered_map<int, std::string> connections;
    epoll_event ready[256];
    char buffer[65536];
    for (;;)
    {
        const int count = epoll_wait(loop, ready, 256, -1);
        if (count < 0 && errno != EINTR)
            return 71;
        for (int i = 0; i < count; ++i)
        {
            const int fd = ready[i].data.fd;
            if (fd == listener)
            {
                int client;
                while ((client = accept4(listener, nullptr, nullptr, SOCK_NONBLOCK)) >= 0)
                {
                    setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                    epoll_event watch{};
                    watch.events = EPOLLIN;
                    watch.data.fd = client;
                    epoll_ctl(loop, EPOLL_CTL_ADD, client, &watch);
                    connections[client];
                }
                continue;
            }
            std::string& in = connections[fd];
            ssize_t got;
            while ((got = read(fd, buffer, sizeof buffer)) > 0)
                in.append(buffer, static_cast<std::size_t>(got));
            const bool closed = got == 0 || (got < 0 && errno != EAGAIN && errno != EWOULDBLOCK);
            if (closed || !serve(fd, in, token))
            {
                close(fd); // also leaves the epoll set
                connections.erase(fd);
            }
        }
    }
}
