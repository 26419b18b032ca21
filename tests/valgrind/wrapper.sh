#!/bin/sh
# tests/valgrind/bin/PROG (made from wrapper.sh by run.sh): bin/PROG under
# valgrind memcheck. Errors and definite leaks exit 99 and are logged,
# one file a process, in the log directory; nothing else is printed.
# More options (--track-origins=yes) can come from $VALGRIND_OPTS, which
# valgrind reads itself. The program is found on PATH, bin/ first, so its
# argv[0] is its bare name, as when run from bin/ through PATH (getopt's
# messages print it).
PATH="@BIN@:$PATH" exec valgrind -q --tool=memcheck --error-exitcode=99 \
    --leak-check=full --errors-for-leak-kinds=definite \
    --show-leak-kinds=definite --log-file="@LOG@/${0##*/}.%p.log" \
    "${0##*/}" "$@"
