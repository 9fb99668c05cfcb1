# cmake -P script behind the CTest test `find_package_consumer`:
#   1. cmake --install <kelias build> --prefix <WORK_DIR>/prefix
#   2. configure + build tests/find_package against that prefix only, install it there
#   3. run the consumer and the installed CLI from outside the source and build trees, with
#      KELIAS_PATH unset: both must find the shipped definitions inside the prefix
#   4. check that no installed binary names the source tree's instruments folder
# Variables (passed with -D): KELIAS_BINARY_DIR KELIAS_VERSION CONSUMER_SOURCE_DIR
# WORK_DIR CONFIG GENERATOR CXX_COMPILER CXX_FLAGS EXE_LINKER_FLAGS
cmake_minimum_required(VERSION 3.25)

foreach(var KELIAS_BINARY_DIR CONSUMER_SOURCE_DIR WORK_DIR SOURCE_DIR)
    if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
        message(FATAL_ERROR "run_consumer_test.cmake: -D${var}=... is required")
    endif()
endforeach()
if("${CONFIG}" STREQUAL "")
    set(CONFIG Release)
endif()

set(prefix "${WORK_DIR}/prefix")
set(build "${WORK_DIR}/build")
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")

function(run step)
    execute_process(COMMAND ${ARGN}
        RESULT_VARIABLE rc
        OUTPUT_VARIABLE out
        ERROR_VARIABLE out)
    if(NOT rc EQUAL 0)
        list(JOIN ARGN " " cmdline)
        message(FATAL_ERROR "find_package_consumer: ${step} failed (${rc})\n"
            "command: ${cmdline}\n${out}")
    endif()
    message(STATUS "find_package_consumer: ${step}: ok")
    set(last_output "${out}" PARENT_SCOPE)
endfunction()

run("install kelias into ${prefix}"
    "${CMAKE_COMMAND}" --install "${KELIAS_BINARY_DIR}" --prefix "${prefix}" --config "${CONFIG}")

foreach(f
        "${prefix}/include/kelias/version.hpp")
    if(NOT EXISTS "${f}")
        message(FATAL_ERROR "find_package_consumer: ${f} was not installed")
    endif()
endforeach()
file(GLOB_RECURSE config_files "${prefix}/*/kelias-config.cmake")
if(NOT config_files)
    message(FATAL_ERROR "find_package_consumer: no kelias-config.cmake under ${prefix}")
endif()

set(configure_args
    -S "${CONSUMER_SOURCE_DIR}" -B "${build}"
    "-DCMAKE_BUILD_TYPE=${CONFIG}"
    "-DCMAKE_PREFIX_PATH=${prefix}"
    "-DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF"
    "-DKELIAS_EXPECTED_PREFIX=${prefix}"
    "-DKELIAS_EXPECTED_VERSION=${KELIAS_VERSION}")
if(NOT "${GENERATOR}" STREQUAL "")
    list(APPEND configure_args -G "${GENERATOR}")
endif()
if(NOT "${CXX_COMPILER}" STREQUAL "")
    list(APPEND configure_args "-DCMAKE_CXX_COMPILER=${CXX_COMPILER}")
endif()
list(APPEND configure_args
    "-DCMAKE_CXX_FLAGS=${CXX_FLAGS}"
    "-DCMAKE_EXE_LINKER_FLAGS=${EXE_LINKER_FLAGS}")

run("configure consumer" "${CMAKE_COMMAND}" ${configure_args})
run("build consumer" "${CMAKE_COMMAND}" --build "${build}" --config "${CONFIG}")

run("install consumer" "${CMAKE_COMMAND}" --install "${build}" --prefix "${prefix}" --config "${CONFIG}")

set(ENV{KELIAS_PATH} "")
unset(ENV{KELIAS_PATH})
set(elsewhere "${WORK_DIR}/elsewhere")
file(MAKE_DIRECTORY "${elsewhere}")
execute_process(COMMAND "${prefix}/bin/kelias_consumer" "${prefix}"
    WORKING_DIRECTORY "${elsewhere}" RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "find_package_consumer: the installed consumer failed (${rc}):\n${out}")
endif()
message(STATUS "find_package_consumer: ${out}")

if(EXISTS "${prefix}/bin/kelias")
    execute_process(COMMAND "${prefix}/bin/kelias" instrument show start_av
        WORKING_DIRECTORY "${elsewhere}" RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
    file(REAL_PATH "${prefix}" real_prefix)
    if(NOT rc EQUAL 0 OR NOT out MATCHES "file: +${real_prefix}/")
        message(FATAL_ERROR "find_package_consumer: the installed CLI did not find start_av in ${real_prefix} (${rc}):\n${out}${err}")
    endif()
    message(STATUS "find_package_consumer: installed CLI: ok")
endif()

# Nothing installed may point back into the source tree it was built from.
file(GLOB_RECURSE installed_binaries "${prefix}/bin/*" "${prefix}/lib*/*.a" "${prefix}/lib*/*.so*")
foreach(binary IN LISTS installed_binaries)
    file(STRINGS "${binary}" source_paths REGEX "${SOURCE_DIR}/instruments")
    if(source_paths)
        message(FATAL_ERROR "find_package_consumer: ${binary} names the source tree: ${source_paths}")
    endif()
endforeach()
message(STATUS "find_package_consumer: no installed file names ${SOURCE_DIR}/instruments")
