-- wrk script for bench/profile.sh: POST /api/v1/pools/cache/command ["GET","k"]
wrk.method = "POST"
wrk.body = '["GET","k"]'
wrk.headers["Content-Type"] = "application/json"
