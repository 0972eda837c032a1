# run-guest.cmake: runs one HTIF guest on ember and checks what it printed
# and its exit code, for CTest (PASS_REGULAR_EXPRESSION ignores exit codes).
#
#   cmake -DEMBER=path/to/ember -DELF=guest.elf -DEXPECT=regex
#         [-DEXIT_CODE=0] [-DTIMEOUT=30] [-DARGS=more;ember;options]
#         [-DEXPECT_STDERR=regex] -P run-guest.cmake

foreach(var EMBER ELF EXPECT)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "run-guest.cmake: -D${var}=... is required")
  endif()
endforeach()
if(NOT DEFINED EXIT_CODE)
  set(EXIT_CODE 0)
endif()
if(NOT DEFINED TIMEOUT)
  set(TIMEOUT 30)
endif()

execute_process(
  COMMAND ${EMBER} -M virt -nographic -bios ${ELF} ${ARGS}
  INPUT_FILE /dev/null
  OUTPUT_VARIABLE out
  ERROR_VARIABLE err
  RESULT_VARIABLE rc
  TIMEOUT ${TIMEOUT})

message("${out}")
if(err)
  message("stderr:\n${err}")
endif()

if(NOT "${rc}" STREQUAL "${EXIT_CODE}")
  message(FATAL_ERROR "${ELF}: exit status '${rc}', expected ${EXIT_CODE}")
endif()
if(NOT out MATCHES "${EXPECT}")
  message(FATAL_ERROR "${ELF}: output does not match '${EXPECT}'")
endif()
if(DEFINED EXPECT_STDERR AND NOT err MATCHES "${EXPECT_STDERR}")
  message(FATAL_ERROR "${ELF}: stderr does not match '${EXPECT_STDERR}'")
endif()
message("${ELF}: exit status ${rc} and output as expected")
