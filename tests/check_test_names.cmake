# Fails when a doctest TEST_CASE name cannot be run on its own by CTest.
# doctest_discover_tests() registers one CTest test per name, but a ';' in a name is a
# CMake list separator: the filter is cut there, matches no test case, and the CTest test
# passes without running anything. Usage: cmake -DTESTS=path/to/kelias_tests -P this file.
execute_process(COMMAND "${TESTS}" --list-test-cases --no-version
                OUTPUT_VARIABLE listing RESULT_VARIABLE status)
if(NOT status EQUAL 0)
    message(FATAL_ERROR "${TESTS} --list-test-cases failed (${status})")
endif()
string(REPLACE ";" "<SEMICOLON>" listing "${listing}")
string(REPLACE "\n" ";" lines "${listing}")
set(bad "")
foreach(line IN LISTS lines)
    if(line MATCHES "<SEMICOLON>")
        string(REPLACE "<SEMICOLON>" ";" line "${line}")
        string(APPEND bad "\n  ${line}")
    endif()
endforeach()
if(bad)
    message(FATAL_ERROR "test case names with ';' never run under CTest; use ',' or '-':${bad}")
endif()
