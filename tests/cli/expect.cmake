# expect.cmake: runs ember with ARGS (a ;-list) and checks its exit status
# and that stdout+stderr match a regex, for CTest (whose own checks cannot
# combine the two).
#
#   cmake -DEMBER=path -DARGS="-m;12X" -DEXIT_CODE=1 -DEXPECT=regex -P expect.cmake

foreach(var EMBER EXIT_CODE EXPECT)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "expect.cmake: -D${var}=... is required")
  endif()
endforeach()

execute_process(
  COMMAND ${EMBER} ${ARGS}
  INPUT_FILE /dev/null
  OUTPUT_VARIABLE out
  ERROR_VARIABLE err
  RESULT_VARIABLE rc
  TIMEOUT 30)

message("stdout: ${out}")
message("stderr: ${err}")
if(NOT "${rc}" STREQUAL "${EXIT_CODE}")
  message(FATAL_ERROR "exit status '${rc}', expected ${EXIT_CODE}")
endif()
if(NOT "${out}${err}" MATCHES "${EXPECT}")
  message(FATAL_ERROR "output does not match '${EXPECT}'")
endif()
