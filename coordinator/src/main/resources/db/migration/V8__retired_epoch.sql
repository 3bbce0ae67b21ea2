-- Federation key epochs the coordinator no longer needs (`java -jar coordinator.jar federation-epoch-retire N`, once
-- every active signal carries a newer epoch): their signal_person links are gone and intake ignores pseudonyms under
-- them.
CREATE TABLE retired_epoch (
    epoch       INT PRIMARY KEY,
    retired_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
