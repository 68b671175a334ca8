# Project-wide compile options: warnings and the sanitizer build.

option(KT_WERROR "Treat warnings as errors" OFF)
set(KT_SANITIZE "" CACHE STRING "Sanitizers for the whole build, e.g. address,undefined")

add_compile_options(-Wall -Wextra -Wswitch -Wno-unused-parameter)
if(KT_WERROR)
  add_compile_options(-Werror)
endif()

if(KT_SANITIZE)
  add_compile_options(-fsanitize=${KT_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${KT_SANITIZE})
endif()
