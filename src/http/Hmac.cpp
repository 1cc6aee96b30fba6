#include "http/Hmac.h"

#include <Poco/DigestEngine.h>
#include <Poco/HMACEngine.h>
#include <Poco/SHA2Engine.h>

namespace wiretap::http
{
namespace
{
/// Poco's SHA2Engine lacks the BLOCK_SIZE/DIGEST_SIZE constants HMACEngine needs.
class Sha256Engine : public Poco::SHA2Engine
{
public:
    enum
    {
        BLOCK_SIZE = 64,
        DIGEST_SIZE = 32
    };

    Sha256Engine() : Poco::SHA2Engine(Poco::SHA2Engine::SHA_256) {}
};
} // namespace

std::string hmacSha256Hex(const std::string& key, const std::string& data)
{
    Poco::HMACEngine<Sha256Engine> hmac(key);
    hmac.update(data);
    return Poco::DigestEngine::digestToHex(hmac.digest());
}

bool constantTimeEquals(const std::string& a, const std::string& b)
{
    unsigned char difference = a.size() == b.size() ? 0 : 1;
    const std::string& reference = a.size() == b.size() ? a : b;
    for (std::size_t i = 0; i < b.size(); ++i)
        difference |= static_cast<unsigned char>(reference[i] ^ b[i]);
    return difference == 0;
}

} // namespace wiretap::http
