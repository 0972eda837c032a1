# dtb-compare.cmake: dumps ember's and QEMU's virt device trees for the same
# options (ARGS, a ;-list) and compares them with dtb_compare.
foreach(var EMBER QEMU COMPARE WORKDIR NAME)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "dtb-compare.cmake: -D${var}=... is required")
  endif()
endforeach()
set(ember_dtb ${WORKDIR}/${NAME}-ember.dtb)
set(qemu_dtb ${WORKDIR}/${NAME}-qemu.dtb)
execute_process(COMMAND ${EMBER} -M virt,dumpdtb=${ember_dtb} ${ARGS}
                RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "ember dumpdtb failed: ${err}")
endif()
execute_process(COMMAND ${QEMU} -M virt,dumpdtb=${qemu_dtb} -nographic ${ARGS}
                RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "QEMU dumpdtb failed: ${err}")
endif()
execute_process(COMMAND ${COMPARE} ${ember_dtb} ${qemu_dtb} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "the device trees differ")
endif()
