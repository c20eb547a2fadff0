-- wrk script: POST /api/v1/pools/main/query {"sql": "SELECT 1"}
wrk.method = "POST"
wrk.body = '{"sql": "SELECT 1"}'
wrk.headers["Content-Type"] = "application/json"
