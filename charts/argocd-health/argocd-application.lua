-- Health of an Argo CD Application as its parent Application sees it, so sync waves between
-- Applications order something: Argo CD v3 assesses no health for argoproj.io/Application unless
-- argocd-cm adds it (docs/operator-manual/health.md, "Argocd App").
-- Healthy only once the Application's own controller has compared it against its current spec
-- (status.sync.comparedTo equals the spec's source and destination), finished its sync, found it
-- Synced (or out of sync only by extras it may not prune, below) and its resources Healthy;
-- Degraded when its resources are; else Progressing. A parent thus never moves to its next wave
-- on a child's stale status.
local hs = { status = "Progressing", message = "waiting for the application controller" }
-- Argo CD writes comparedTo from its Go types, which add empty fields the spec in git lacks (a
-- directory source gains `jsonnet: {}`): an empty value counts as no value.
local function empty(v)
  if v == nil or v == "" or v == false or v == 0 then return true end
  if type(v) ~= "table" then return false end
  for _, x in pairs(v) do
    if not empty(x) then return false end
  end
  return true
end
local function same(a, b)
  if empty(a) and empty(b) then return true end
  if type(a) ~= "table" or type(b) ~= "table" then
    return a == b
  end
  for k, v in pairs(a) do
    if not same(v, b[k]) then return false end
  end
  for k, v in pairs(b) do
    if not same(a[k], v) then return false end
  end
  return true
end
if obj.status == nil or obj.status.sync == nil or obj.status.health == nil then
  return hs
end
local op = obj.status.operationState
if op ~= nil and (op.phase == "Running" or op.phase == "Terminating") then
  hs.message = op.message or "sync running"
  return hs
end
local compared = obj.status.sync.comparedTo
if compared == nil or not same(compared.source, obj.spec.source) or not same(compared.destination, obj.spec.destination) then
  hs.message = "not yet compared with its current spec"
  return hs
end
if obj.status.health.status == "Degraded" then
  hs.status = "Degraded"
  hs.message = obj.status.health.message or "resources degraded"
  return hs
end
-- Out of sync only by extra resources that automated sync may not prune (platform-apis never
-- prunes) counts as synced: Argo CD's own auto-sync skips such an Application, as it has nothing
-- to apply (controller/appcontroller.go, autoSync: "need to prune extra resources only but
-- automated prune is disabled"), so it would stay OutOfSync until someone prunes by hand, and a
-- parent waiting on it would wait in that wave for ever.
local function onlyUnprunedExtras()
  local automated = obj.spec.syncPolicy ~= nil and obj.spec.syncPolicy.automated or nil
  if automated == nil or automated.enabled == false or automated.prune == true or obj.status.resources == nil then
    return false
  end
  for _, r in ipairs(obj.status.resources) do
    if r.status ~= "Synced" and r.requiresPruning ~= true then return false end
  end
  return true
end
local extrasOnly = obj.status.sync.status == "OutOfSync" and onlyUnprunedExtras()
if obj.status.sync.status ~= "Synced" and not extrasOnly then
  hs.message = "sync status " .. (obj.status.sync.status or "unknown")
  return hs
end
if obj.status.health.status == "Healthy" then
  hs.status = "Healthy"
  hs.message = "synced and healthy"
  if extrasOnly then
    hs.message = "synced and healthy; resources no longer in git wait to be pruned by hand"
  end
  return hs
end
hs.message = obj.status.health.message or ("health " .. (obj.status.health.status or "unknown"))
return hs
