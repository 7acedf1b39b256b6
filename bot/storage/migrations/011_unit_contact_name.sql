-- Who held a unit before, for the admin approving the next contact: the contact's name while they hold it, and
-- after they leave by stepping down, hand-over or removal. Erasing one's data (/forget) keeps no name.
ALTER TABLE units ADD COLUMN contact_name TEXT NOT NULL DEFAULT '';
ALTER TABLE units ADD COLUMN left_name TEXT;
UPDATE units SET contact_name = COALESCE((SELECT a.applicant FROM unit_applications a
    WHERE a.user_id = units.contact_id AND a.status = 'approved' ORDER BY a.decided_at DESC LIMIT 1), '')
    WHERE contact_id IS NOT NULL;
