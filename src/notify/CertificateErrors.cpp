#include "notify/CertificateErrors.h"

#include <Poco/Delegate.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Net/X509Certificate.h>

namespace wiretap::notify
{

CertificateErrors::CertificateErrors() : _thread(std::this_thread::get_id())
{
    Poco::Net::SSLManager::instance().ClientVerificationError +=
        Poco::delegate(this, &CertificateErrors::onError);
}

CertificateErrors::~CertificateErrors()
{
    Poco::Net::SSLManager::instance().ClientVerificationError -=
        Poco::delegate(this, &CertificateErrors::onError);
}

std::string CertificateErrors::describe() const
{
    std::lock_guard<std::mutex> lock(_mutex);
    return _errors;
}

void CertificateErrors::onError(const void*, Poco::Net::VerificationErrorArgs& args)
{
    // The event is the process's: another thread's handshake is none of this one's business.
    if (std::this_thread::get_id() != _thread)
        return;
    std::string subject;
    try
    {
        subject = args.certificate().commonName();
    }
    catch (const Poco::Exception&)
    {
    }
    const std::string error = args.errorMessage() + " (" + (subject.empty() ? "" : "CN=" + subject + ", ") +
                              "depth " + std::to_string(args.errorDepth()) + ")";
    std::lock_guard<std::mutex> lock(_mutex);
    if (_errors.find(error) != std::string::npos)
        return; // OpenSSL may report the same certificate more than once
    _errors += _errors.empty() ? "" : "; ";
    _errors += error;
}

} // namespace wiretap::notify
