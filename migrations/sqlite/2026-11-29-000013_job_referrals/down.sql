DROP TABLE job_referral_events;
DROP TABLE job_referrals;
