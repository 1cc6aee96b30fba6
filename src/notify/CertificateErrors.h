#pragma once

#include <Poco/Net/VerificationErrorArgs.h>

#include <mutex>
#include <string>
#include <thread>

namespace wiretap::notify
{

/// Why OpenSSL refused a server's certificate, for the log. While it exists it
/// listens to POCO's SSLManager::ClientVerificationError event and keeps what
/// each refused certificate of the creating thread's handshakes said (OpenSSL's
/// verify error, the certificate's subject and its depth in the chain). The
/// handshake's own exception only says "certificate verify failed". It never
/// accepts a certificate: it only listens.
class CertificateErrors
{
public:
    CertificateErrors();
    ~CertificateErrors();

    CertificateErrors(const CertificateErrors&) = delete;
    CertificateErrors& operator=(const CertificateErrors&) = delete;

    /// What was refused, e.g. "self-signed certificate (CN=127.0.0.1, depth 0)"; several
    /// separated by "; ". Empty when no certificate of this thread was refused.
    std::string describe() const;

private:
    void onError(const void* sender, Poco::Net::VerificationErrorArgs& args);

    const std::thread::id _thread;
    mutable std::mutex _mutex;
    std::string _errors;
};

} // namespace wiretap::notify
