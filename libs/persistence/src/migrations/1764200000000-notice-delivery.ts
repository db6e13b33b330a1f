import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Notices reach people where they are (issue 12):
 *   - a notice's read, acknowledged, urgent and deputy ("代") state;
 *   - a person's contact points (DingTalk user id, WeCom user id, Feishu open id; mobile and
 *     e-mail were already on person);
 *   - the organisation's channels (group robots, provider accounts), notice settings and
 *     default preferences, and each person's own preferences;
 *   - delegation (代理) for a period;
 *   - the outbox: one delivery per (notice, recipient, channel), written in the notice's
 *     transaction, with every attempt and the provider's answer;
 *   - NOTIFY on a new notice (the API's live stream) and a new delivery (the worker's relay).
 */
export class NoticeDelivery1764200000000 implements MigrationInterface {
  name = 'NoticeDelivery1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE notice
        ADD COLUMN urgent boolean NOT NULL DEFAULT false,
        ADD COLUMN ack_required boolean NOT NULL DEFAULT false,
        ADD COLUMN acknowledged_at timestamptz,
        ADD COLUMN deputy_for uuid REFERENCES person(id) ON DELETE CASCADE,
        ADD COLUMN delegation_id uuid,
        ADD COLUMN digest boolean NOT NULL DEFAULT false,
        ADD COLUMN digested_at timestamptz;
      CREATE INDEX notice_unread_idx ON notice (recipient_id, kind) WHERE read_at IS NULL;
      CREATE INDEX notice_digest_idx ON notice (recipient_id) WHERE digest AND digested_at IS NULL AND read_at IS NULL;

      ALTER TABLE person
        ADD COLUMN dingtalk_user_id text,
        ADD COLUMN wecom_user_id text,
        ADD COLUMN feishu_open_id text;

      -- Org-wide notice settings: one row (id = 1).
      CREATE TABLE notice_settings (
        id int PRIMARY KEY CHECK (id = 1),
        quiet_start text NOT NULL DEFAULT '22:00',
        quiet_end text NOT NULL DEFAULT '07:30',
        digest_at text NOT NULL DEFAULT '08:30',
        urgent_kinds text[] NOT NULL DEFAULT '{}',
        allowed_channels text[] NOT NULL DEFAULT '{dingtalk_work,wecom_app,sms,email}',
        max_attempts int NOT NULL DEFAULT 8 CHECK (max_attempts BETWEEN 1 AND 50),
        updated_at timestamptz NOT NULL DEFAULT now(),
        updated_by uuid
      );
      INSERT INTO notice_settings (id) VALUES (1);

      -- A configured channel: a provider account (personal channels) or a group robot / city platform.
      CREATE TABLE notice_channel (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind text NOT NULL,
        name text NOT NULL,
        enabled boolean NOT NULL DEFAULT true,
        settings jsonb NOT NULL,
        -- For group channels: which notices they carry, e.g. {"rungs":["county"]} or {"orgUnitIds":[...]}.
        scope jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        updated_by uuid
      );

      -- Preferences per notice kind: person_id NULL is the org default the office sets.
      CREATE TABLE notice_preference (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        person_id uuid REFERENCES person(id) ON DELETE CASCADE,
        kind text NOT NULL,
        channels text[] NOT NULL,
        digest boolean NOT NULL DEFAULT false,
        updated_at timestamptz NOT NULL DEFAULT now(),
        updated_by uuid
      );
      CREATE UNIQUE INDEX notice_preference_key ON notice_preference (coalesce(person_id, '00000000-0000-0000-0000-000000000000'::uuid), kind);

      CREATE TABLE delegation (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        person_id uuid NOT NULL REFERENCES person(id) ON DELETE CASCADE,
        deputy_id uuid NOT NULL REFERENCES person(id) ON DELETE CASCADE,
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL,
        reason text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        created_by uuid,
        revoked_at timestamptz,
        revoked_by uuid,
        CHECK (person_id <> deputy_id),
        CHECK (ends_at > starts_at)
      );
      CREATE INDEX delegation_person_idx ON delegation (person_id, starts_at, ends_at) WHERE revoked_at IS NULL;
      CREATE INDEX delegation_deputy_idx ON delegation (deputy_id, starts_at, ends_at) WHERE revoked_at IS NULL;
      ALTER TABLE notice ADD CONSTRAINT notice_delegation_fk FOREIGN KEY (delegation_id) REFERENCES delegation(id) ON DELETE SET NULL;

      -- The outbox. dedupe_key makes each delivery once:
      --   n:<noticeId>:<channel>              a person's notice on a personal channel
      --   g:<notice source>:<channelId>       a group channel's summary of one event
      --   d:<yyyy-mm-dd>:<personId>:<channel> a person's digest
      --   f:<yyyy-mm-dd>:<personId>           (as a notice's source_key) the office told of an inbox-only person
      CREATE TABLE delivery (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        dedupe_key text NOT NULL UNIQUE,
        notice_id uuid REFERENCES notice(id) ON DELETE CASCADE,
        recipient_id uuid REFERENCES person(id) ON DELETE CASCADE,
        channel text NOT NULL,
        channel_id uuid REFERENCES notice_channel(id) ON DELETE SET NULL,
        address text,
        title text NOT NULL,
        body text NOT NULL,
        params jsonb NOT NULL DEFAULT '{}',
        urgent boolean NOT NULL DEFAULT false,
        not_before timestamptz NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'skipped', 'dead')),
        attempts int NOT NULL DEFAULT 0,
        possible_duplicate boolean NOT NULL DEFAULT false,
        provider_message_id text,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        dispatched_at timestamptz,
        sent_at timestamptz,
        dead_at timestamptz,
        retried_by uuid,
        retried_at timestamptz
      );
      CREATE INDEX delivery_undispatched_idx ON delivery (created_at) WHERE dispatched_at IS NULL;
      CREATE INDEX delivery_dead_idx ON delivery (dead_at DESC) WHERE status = 'dead';
      CREATE INDEX delivery_notice_idx ON delivery (notice_id);

      CREATE TABLE delivery_attempt (
        delivery_id uuid NOT NULL REFERENCES delivery(id) ON DELETE CASCADE,
        attempt int NOT NULL,
        started_at timestamptz NOT NULL,
        finished_at timestamptz,
        ok boolean,
        http_status int,
        answer jsonb,
        error text,
        PRIMARY KEY (delivery_id, attempt)
      );

      CREATE FUNCTION duban_notify_notice() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('duban_notice', json_build_object('id', NEW.id, 'recipientId', NEW.recipient_id, 'kind', NEW.kind)::text);
        RETURN NEW;
      END $$;
      CREATE TRIGGER notice_notify AFTER INSERT ON notice FOR EACH ROW EXECUTE FUNCTION duban_notify_notice();

      CREATE FUNCTION duban_notify_delivery() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('duban_delivery', NEW.id::text);
        RETURN NEW;
      END $$;
      CREATE TRIGGER delivery_notify AFTER INSERT ON delivery FOR EACH ROW EXECUTE FUNCTION duban_notify_delivery();
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TRIGGER delivery_notify ON delivery; DROP FUNCTION duban_notify_delivery();
      DROP TRIGGER notice_notify ON notice; DROP FUNCTION duban_notify_notice();
      DROP TABLE delivery_attempt; DROP TABLE delivery;
      ALTER TABLE notice DROP CONSTRAINT notice_delegation_fk;
      DROP TABLE delegation; DROP TABLE notice_preference; DROP TABLE notice_channel; DROP TABLE notice_settings;
      ALTER TABLE person DROP COLUMN dingtalk_user_id, DROP COLUMN wecom_user_id, DROP COLUMN feishu_open_id;
      DROP INDEX notice_digest_idx; DROP INDEX notice_unread_idx;
      ALTER TABLE notice DROP COLUMN urgent, DROP COLUMN ack_required, DROP COLUMN acknowledged_at, DROP COLUMN deputy_for,
        DROP COLUMN delegation_id, DROP COLUMN digest, DROP COLUMN digested_at;
    `);
  }
}
