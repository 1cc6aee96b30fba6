// Runs every registered CppUnit suite, or only those named on the command line.
#include <cppunit/BriefTestProgressListener.h>
#include <cppunit/CompilerOutputter.h>
#include <cppunit/TestResult.h>
#include <cppunit/TestResultCollector.h>
#include <cppunit/TestRunner.h>
#include <cppunit/extensions/TestFactoryRegistry.h>

#include <iostream>

int main(int argc, char** argv)
{
    CppUnit::Test* all = CppUnit::TestFactoryRegistry::getRegistry().makeTest();
    CppUnit::TestRunner runner;
    if (argc < 2)
        runner.addTest(all);
    for (int i = 1; i < argc; ++i)
    {
        try
        {
            runner.addTest(all->findTest(argv[i]));
        }
        catch (const std::invalid_argument&)
        {
            std::cerr << "no test suite named " << argv[i] << '\n';
            return 2;
        }
    }

    CppUnit::TestResult controller;
    CppUnit::TestResultCollector result;
    controller.addListener(&result);
    CppUnit::BriefTestProgressListener progress;
    controller.addListener(&progress);
    runner.run(controller);

    CppUnit::CompilerOutputter outputter(&result, std::cerr);
    outputter.write();
    return result.wasSuccessful() ? 0 : 1;
}
