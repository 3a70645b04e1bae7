#!/bin/sh
# A CGI script: a header block, a blank line, then the body. The server
# passes the request in environment variables and the body on stdin.
printf 'Content-Type: text/plain; charset=utf-8\r\n\r\n'
echo "Hello from CGI"
echo "REQUEST_METHOD=$REQUEST_METHOD"
echo "SCRIPT_NAME=$SCRIPT_NAME"
echo "PATH_INFO=$PATH_INFO"
echo "QUERY_STRING=$QUERY_STRING"
if [ "$REQUEST_METHOD" = POST ]; then
  echo "BODY=$(head -c "${CONTENT_LENGTH:-0}")"
fi
