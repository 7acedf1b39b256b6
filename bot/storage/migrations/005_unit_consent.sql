-- Consent belongs to a person. A member shares their credit standing with the contact who held the unit when
-- they agreed (shared_with); when that contact leaves (/forget, stepping down, handing over, removal by an
-- admin) every consent given to them is withdrawn, and a new contact sees nothing until members agree again.
ALTER TABLE unit_members ADD COLUMN shared_with INTEGER;
UPDATE unit_members SET shared_with = (SELECT contact_id FROM units WHERE units.id = unit_members.unit_id)
    WHERE share = 1;
UPDATE unit_members SET share = 0 WHERE shared_with IS NULL;

-- How the unit's last contact left, shown to the admin who approves the next one.
ALTER TABLE units ADD COLUMN left_at INTEGER;
ALTER TABLE units ADD COLUMN left_how TEXT;            -- forget | stepped_down | handed_over | removed
-- A member the contact asked to take over; the role moves only when that member accepts.
ALTER TABLE units ADD COLUMN handover_to INTEGER REFERENCES users(id) ON DELETE SET NULL;
