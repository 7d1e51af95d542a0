# The harness drives runtimes only through their command line: ociharness, ociconform and ocibench must
# never link ocirun's libraries (ocirun_core, ocirun_linux, ocirun_hcs, ...), directly or through
# another library. Configuring fails, naming the path, when one does.
# The one exception is ocirun_wclayer: the vmcompute.dll layer calls (GUIDs, HRESULTs, wclayer) that
# Windows bundles need for their scratch layers; it links nothing of the runtime but ocibase.
set(OCICERT_HARNESS_LINK_EXCEPTIONS ocirun_wclayer)

function(ocicert_collect_links target out_var)
  set(seen ${${out_var}})
  foreach(property LINK_LIBRARIES INTERFACE_LINK_LIBRARIES)
    get_target_property(libs ${target} ${property})
    if(NOT libs)
      continue()
    endif()
    foreach(lib ${libs})
      string(REGEX REPLACE "^\\$<LINK_ONLY:(.*)>$" "\\1" lib "${lib}")
      if(TARGET ${lib} AND NOT lib IN_LIST seen)
        list(APPEND seen ${lib})
        set(${out_var} ${seen})
        ocicert_collect_links(${lib} ${out_var})
        set(seen ${${out_var}})
      endif()
    endforeach()
  endforeach()
  set(${out_var} ${seen} PARENT_SCOPE)
endfunction()

function(ocicert_check_harness_links)
  foreach(harness_lib ociharness ociconform ocibench)
    if(NOT TARGET ${harness_lib})
      continue()
    endif()
    set(linked "")
    ocicert_collect_links(${harness_lib} linked)
    foreach(lib ${linked})
      if(lib MATCHES "^ocirun" AND NOT lib IN_LIST OCICERT_HARNESS_LINK_EXCEPTIONS)
        message(FATAL_ERROR "${harness_lib} links ${lib}: the harness drives runtimes through their command line "
                            "and never links ocirun's libraries (cmake/HarnessLinkCheck.cmake)")
      endif()
    endforeach()
  endforeach()
endfunction()
