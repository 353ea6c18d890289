-- wrk script: one AWS JSON 1.0 operation with a fixed body, keep-alive.
-- TARGET (e.g. StartExecution) and SM_ARN come from the environment.
wrk.method = "POST"
wrk.path = "/"
wrk.headers["Content-Type"] = "application/x-amz-json-1.0"
wrk.headers["X-Amz-Target"] = "AWSStepFunctions." .. os.getenv("TARGET")
wrk.body = '{"stateMachineArn":"' .. os.getenv("SM_ARN") .. '","input":"{\\"id\\":7}"}'

local non200 = 0
response = function(status, headers, body)
  if status ~= 200 then non200 = non200 + 1 end
end

done = function(summary, latency, requests)
  io.write(string.format("non-200 responses: %d; latency p50 %.2f ms, p99 %.2f ms\n", non200,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
