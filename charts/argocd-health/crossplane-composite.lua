-- Health of a composite resource (XR) of a platform API: Healthy when Ready, Degraded when
-- Crossplane cannot compose it (Synced=False) or says it is unavailable, else Progressing with the
-- reason Crossplane gives. Only XR kinds get this script: kinds without status keep Argo CD's
-- built-in checks.
-- (Argo CD runs health scripts without Lua's standard libraries: no string.find here.)
local hs = { status = "Progressing", message = "waiting for Crossplane to report the resource" }
if obj.status == nil or obj.status.conditions == nil then
  return hs
end
local ready, synced
for _, c in ipairs(obj.status.conditions) do
  if c.type == "Ready" then ready = c end
  if c.type == "Synced" then synced = c end
end
if synced ~= nil and synced.status == "False" then
  hs.status = "Degraded"
  hs.message = synced.message or synced.reason or "cannot sync"
  return hs
end
if ready == nil then
  return hs
end
if ready.status == "True" then
  hs.status = "Healthy"
  hs.message = ready.reason or "Available"
  return hs
end
if ready.reason == "Unavailable" then
  hs.status = "Degraded"
end
hs.message = ready.message or ready.reason or hs.message
return hs
