// Runs every registered CppUnit suite, or only those named on the command line.
#include <cppunit/BriefTestProgressListener.h>
#include <cppunit/CompilerOutputter.h>
#include <cppunit/Test.h>
#include <cppunit/TestResult.h>
#include <cppunit/TestResultCollector.h>
#include <cppunit/extensions/TestFactoryRegistry.h>

#include <iostream>
#include <memory>
#include <vector>

int main(int argc, char** argv)
{
    // Owns the whole tree; the suites picked by name stay in it (LeakSanitizer checks the runner too).
    const std::unique_ptr<CppUnit::Test> all(CppUnit::TestFactoryRegistry::getRegistry().makeTest());
    std::vector<CppUnit::Test*> selected;
    if (argc < 2)
        selected.push_back(all.get());
    for (int i = 1; i < argc; ++i)
    {
        try
        {
            selected.push_back(all->findTest(argv[i]));
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
    for (CppUnit::Test* test : selected)
        controller.runTest(test);

    CppUnit::CompilerOutputter outputter(&result, std::cerr);
    outputter.write();
    return result.wasSuccessful() ? 0 : 1;
}
