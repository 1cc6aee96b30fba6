#include "events/ImageEvent.h"
#include "events/EventSource.h"
#include "events/ReferenceError.h"

#include <cppunit/extensions/HelperMacros.h>

using wiretap::events::EventSource;
using wiretap::events::ImageEvent;
using wiretap::events::ReferenceError;

class ImageEventTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(ImageEventTest);
    CPPUNIT_TEST(testReferenceIsHostPathAndTag);
    CPPUNIT_TEST(testReferenceOfInvalidPartsThrows);
    CPPUNIT_TEST(testDescribeAddsTheDigest);
    CPPUNIT_TEST(testSourceNamesRoundTrip);
    CPPUNIT_TEST_SUITE_END();

public:
    void testReferenceIsHostPathAndTag()
    {
        ImageEvent event;
        event.registry = "registry:5000";
        event.repository = "team/app";
        event.tag = "v1";
        event.digest = "sha256:" + std::string(64, 'a');
        CPPUNIT_ASSERT_EQUAL(std::string("registry:5000/team/app:v1"), event.reference().normalized());
        event.registry = "docker.io";
        event.repository = "library/ubuntu";
        CPPUNIT_ASSERT_EQUAL(std::string("ubuntu:v1"), event.reference().familiar());
    }

    void testReferenceOfInvalidPartsThrows()
    {
        ImageEvent event;
        event.registry = "docker.io";
        event.repository = "App";
        event.tag = "v1";
        CPPUNIT_ASSERT_THROW(event.reference(), ReferenceError);
    }

    void testDescribeAddsTheDigest()
    {
        ImageEvent event;
        event.registry = "ghcr.io";
        event.repository = "o/app";
        event.tag = "v1";
        CPPUNIT_ASSERT_EQUAL(std::string("ghcr.io/o/app:v1"), event.describe());
        event.digest = "sha256:" + std::string(64, 'b');
        CPPUNIT_ASSERT_EQUAL("ghcr.io/o/app:v1@sha256:" + std::string(64, 'b'), event.describe());
    }

    void testSourceNamesRoundTrip()
    {
        for (const auto source : {EventSource::DockerHub, EventSource::Registry, EventSource::GitHub,
                                  EventSource::Quay, EventSource::Harbor, EventSource::Acr,
                                  EventSource::JFrog, EventSource::Google, EventSource::Generic})
            CPPUNIT_ASSERT(source == wiretap::events::eventSourceFromString(toString(source)));
        CPPUNIT_ASSERT_EQUAL(std::string("dockerhub"), toString(EventSource::DockerHub));
        CPPUNIT_ASSERT_EQUAL(std::string("registry"), toString(EventSource::Registry));
        CPPUNIT_ASSERT(!wiretap::events::eventSourceFromString("gitlab").has_value());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ImageEventTest);
