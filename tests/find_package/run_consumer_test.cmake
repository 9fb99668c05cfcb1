# cmake -P script behind the CTest test `find_package_consumer`:
#   1. cmake --install <kelias build> --prefix <WORK_DIR>/prefix
#   2. configure + build tests/find_package against that prefix only
#   3. run the consumer
# Variables (passed with -D): KELIAS_BINARY_DIR KELIAS_VERSION CONSUMER_SOURCE_DIR
# WORK_DIR CONFIG GENERATOR CXX_COMPILER CXX_FLAGS EXE_LINKER_FLAGS
cmake_minimum_required(VERSION 3.25)

foreach(var KELIAS_BINARY_DIR CONSUMER_SOURCE_DIR WORK_DIR)
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

find_program(consumer_exe kelias_consumer
    PATHS "${build}" "${build}/${CONFIG}" NO_DEFAULT_PATH NO_CACHE REQUIRED)
run("run consumer" "${consumer_exe}")
message(STATUS "find_package_consumer: ${last_output}")
