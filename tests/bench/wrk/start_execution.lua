-- wrk script: StartExecution over AWS JSON 1.0, keep-alive, a small body.
--   wrk -t2 -c64 -d10s -s tests/bench/wrk/start_execution.lua http://127.0.0.1:8099/
wrk.method = "POST"
wrk.path = "/"
wrk.headers["Content-Type"] = "application/x-amz-json-1.0"
wrk.headers["X-Amz-Target"] = "AWSStepFunctions.StartExecution"
wrk.headers["Authorization"] =
  "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/us-east-1/states/aws4_request, " ..
  "SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=0000000000000000"
wrk.body = '{"stateMachineArn":"arn:aws:states:us-east-1:123456789012:stateMachine:bench",' ..
           '"input":"{\\"order\\":42,\\"items\\":[1,2,3]}"}'

local non200 = 0
response = function(status, headers, body)
  if status ~= 200 then non200 = non200 + 1 end
end

done = function(summary, latency, requests)
  io.write(string.format("non-200 responses: %d (errors in summary: connect %d, read %d, write %d, status %d, timeout %d)\n",
    non200, summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.status, summary.errors.timeout))
end
